"""The installed AWS CLI v1 as an oracle for the Java parser (tests only; never at run time).

Reads JSON requests, one per line, on stdin and answers one JSON line each on stdout:
  {"op": "parse", "argv": [...]}      how the AWS CLI parses argv (no request is ever sent)
  {"op": "commands"}                   the top-level command names and their kind
  {"op": "table", "service": s}        every operation's argument table of a service
  {"op": "argparse", "spec": [...], "argv": [...]}   plain argparse (allow_abbrev) on a spec
  {"op": "xform", "names": [...]}      botocore.xform_name(name, '-') of each name
  {"op": "paramfile_disabled"}         awscli.paramfile.PARAMFILE_DISABLED
  {"op": "urlsplit", "urls": [...]}    urllib's urlsplit of each: scheme, hostname, port
  {"op": "host_switches"}              botocore's built-in handlers and the AWS CLI's modules that change
                                       where a request goes, found in their source
  {"op": "host_prefixes"}              every operation's endpoint hostPrefix in botocore's models
  {"op": "request_url", "service": s, "operation": o, "params": {...}, "region": r}
                                       the URL botocore would send the request to, and whether it is signed
                                       (caught before it is sent: nothing leaves the process)
"""
import argparse
import io
import re
import json
import sys
import contextlib


class Stop(BaseException):
    def __init__(self, payload):
        self.payload = payload


# botocore's data loader (a cache of the model files it has listed and read) of the first driver, given to every
# later one: the files are the same for all of them, and listing and reading them again for every driver was about
# a third of "table"'s time. Each driver is still new, as in every run of the AWS CLI: one driver shared by all
# requests kept every service's handlers and was slower. Every service's tables were compared: the same either way.
_LOADER = []


def driver():
    from awscli.clidriver import create_clidriver
    d = create_clidriver()
    if _LOADER:
        d.session.register_component('data_loader', _LOADER[0])
    else:
        _LOADER.append(d.session.get_component('data_loader'))
    return d


def jsonable(value):
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return repr(value)


def parse(argv):
    from awscli import clidriver
    from awscli.customizations.commands import BasicCommand
    d = driver()
    captured = {}

    def on_parsed(parsed_args, parsed_globals, event_name=None, **kwargs):
        raise Stop({"kind": "operation", "event": event_name,
                    "params": {k: jsonable(v) for k, v in vars(parsed_args).items()},
                    "globals": {k: jsonable(v) for k, v in vars(parsed_globals).items()}})

    d.session.register('operation-args-parsed', on_parsed)

    def run_main(self, parsed_args, parsed_globals):
        raise Stop({"kind": "custom", "command": self.lineage_names,
                    "params": {k: jsonable(v) for k, v in vars(parsed_args).items()},
                    "globals": {k: jsonable(v) for k, v in vars(parsed_globals).items()}})

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    originals = {cls: cls.__dict__['_run_main'] for cls in [BasicCommand, *subclasses(BasicCommand)]
                 if '_run_main' in cls.__dict__}
    for cls in originals:
        cls._run_main = run_main
    err = io.StringIO()
    out = io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            rc = d.main(list(argv))
        return {"kind": "returned", "rc": rc, "stderr": err.getvalue()[-2000:], "stdout": out.getvalue()[-500:]}
    except Stop as s:
        return s.payload
    except SystemExit as e:
        return {"kind": "exit", "rc": e.code, "stderr": err.getvalue()[-2000:]}
    finally:
        for cls, method in originals.items():
            cls._run_main = method


def commands():
    d = driver()
    table = d._get_command_table()
    from awscli.clidriver import ServiceCommand
    return {name: ("service:" + cmd._service_name if isinstance(cmd, ServiceCommand) else type(cmd).__name__)
            for name, cmd in table.items()}


def describe_parser(parser):
    actions = []
    for a in parser._actions:
        nargs = a.nargs
        if nargs is None and a.option_strings and type(a).__name__ in (
                '_StoreTrueAction', '_StoreFalseAction', '_StoreConstAction', '_VersionAction', '_HelpAction',
                '_CountAction', '_AppendConstAction'):
            nargs = 0
        actions.append({"names": a.option_strings, "dest": a.dest, "nargs": nargs,
                        "action": type(a).__name__, "choices": list(a.choices) if a.choices else None})
    return actions


def table(service):
    from awscli.argparser import ArgTableArgParser
    d = driver()
    cmd = d._get_command_table()[service]
    result = {}
    if not hasattr(cmd, '_get_command_table'):  # a customization such as s3 or configure
        for name, sub in cmd.subcommand_table.items():
            parser = ArgTableArgParser(sub._build_arg_table(), sub._build_subcommand_table())
            result[name] = {"kind": "custom", "actions": describe_parser(parser),
                            "subcommands": sorted(sub.subcommand_table)}
        return result
    ops = cmd._get_command_table()
    parsed_globals = d._create_parser(d._get_command_table()).parse_known_args([service])[0]
    for name, op in ops.items():
        if name == 'help':
            continue
        try:
            if hasattr(op, 'arg_table') and hasattr(op, '_operation_model'):
                arg_table = op.arg_table
                d.session.emit('before-building-argument-table-parser.%s.%s' % (service, name),
                               argument_table=arg_table, args=[], session=d.session, parsed_globals=parsed_globals)
                parser = ArgTableArgParser(arg_table)
                op._add_help(parser)
                result[name] = {"kind": "operation", "model": op._operation_model.name,
                                "actions": describe_parser(parser)}
            else:
                result[name] = {"kind": type(op).__name__}
        except Exception as e:  # a customization that needs more context
            result[name] = {"kind": "error", "error": repr(e)}
    return result


def plain_argparse(spec, argv):
    p = argparse.ArgumentParser(add_help=False)
    for a in spec:
        kwargs = {"dest": a["dest"]}
        if a["nargs"] == 0:
            kwargs["action"] = "store_true"
        elif a["nargs"] is not None:
            kwargs["nargs"] = a["nargs"]
        if a.get("choices"):
            kwargs["choices"] = a["choices"]
        if a["names"]:
            p.add_argument(*a["names"], **kwargs)
        else:
            kwargs.pop("dest")
            p.add_argument(a["dest"], **kwargs)
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            ns, extras = p.parse_known_args(list(argv))
        return {"ok": True, "values": {k: jsonable(v) for k, v in vars(ns).items()}, "extras": extras}
    except SystemExit:
        return {"ok": False, "error": err.getvalue().strip().splitlines()[-1]}


def urlsplit_all(urls):
    from urllib.parse import urlsplit
    out = []
    for u in urls:
        try:
            p = urlsplit(u)
            try:
                port = p.port
            except ValueError:
                port = "invalid"
            out.append({"scheme": p.scheme, "hostname": p.hostname, "port": port, "netloc": p.netloc})
        except ValueError as e:
            out.append({"error": str(e)})
    return out


URL_CHANGE = re.compile(r"request\.url\s*=|\[['\"]url['\"]\]\s*=|_switch_hosts\(|switch_host|netloc|endpoint_url")


def host_switches():
    import importlib
    import inspect
    import pkgutil
    import awscli
    import botocore.handlers as handlers
    found = []
    for entry in handlers.BUILTIN_HANDLERS:
        event, fn = entry[0], entry[1]
        f = getattr(fn, '__func__', fn)
        try:
            src = inspect.getsource(f)
        except (TypeError, OSError):
            src = ''
        params = re.findall(r"switch_host_with_param\(\s*request,\s*'([^']+)'", src)
        if params or URL_CHANGE.search(src):
            found.append({"event": event, "handler": getattr(f, '__qualname__', repr(f)), "params": params})
    modules = []
    for m in pkgutil.walk_packages(awscli.__path__, 'awscli.'):
        try:
            src = inspect.getsource(importlib.import_module(m.name))
        except Exception:
            continue
        if re.search(r"request\.url\s*=|\[['\"]url['\"]\]\s*=|_switch_hosts\(|switch_host_with_param\(", src):
            modules.append(m.name)
    return {"botocore": found, "awscli": sorted(set(modules))}


def host_prefixes():
    import botocore.session
    session = botocore.session.get_session()
    loader = session.get_component('data_loader')
    found = {}
    for service in session.get_available_services():
        model = loader.load_service_model(service, 'service-2')
        for name, op in model['operations'].items():
            prefix = op.get('endpoint', {}).get('hostPrefix')
            if prefix is not None:
                found.setdefault(prefix, service + ':' + name)
    return found


def request_url(service, operation, params, region):
    import botocore.session
    from botocore import xform_name
    session = botocore.session.get_session()
    session.set_credentials('AKIDORACLE', 'oracle-secret', 'oracle-token')
    client = session.create_client(service, region_name=region)
    seen = {}

    def before_send(request, **kwargs):
        seen.update({"url": request.url, "signed": 'Authorization' in request.headers})
        raise Stop(seen)

    client.meta.events.register('before-send.*', before_send)
    try:
        getattr(client, xform_name(operation))(**params)
    except Stop:
        return seen
    except Exception as e:
        return {"error": repr(e)}
    return {"error": "no request"}


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        op = req["op"]
        try:
            if op == "parse":
                res = parse(req["argv"])
            elif op == "commands":
                res = commands()
            elif op == "table":
                res = table(req["service"])
            elif op == "argparse":
                res = plain_argparse(req["spec"], req["argv"])
            elif op == "xform":
                from botocore import xform_name
                res = [xform_name(n, '-') for n in req["names"]]
            elif op == "paramfile_disabled":
                import awscli.clidriver  # noqa: F401 (import order)
                from awscli.paramfile import PARAMFILE_DISABLED
                res = sorted(PARAMFILE_DISABLED)
            elif op == "urlsplit":
                res = urlsplit_all(req["urls"])
            elif op == "host_switches":
                res = host_switches()
            elif op == "host_prefixes":
                res = host_prefixes()
            elif op == "request_url":
                res = request_url(req["service"], req["operation"], req["params"], req["region"])
            else:
                res = {"error": "unknown op " + op}
        except Exception as e:
            res = {"kind": "oracle-error", "error": repr(e)}
        sys.stdout.write(json.dumps(res) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
