package dev.awssandbox.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A warning quotes the config text that decided, and the MCP server hands warnings to the model: the
 * secrets written in that text are left out (red team, 2026-12-06, RT-4: a start-up file's
 * {@code $(curl https://u:PW@…)}, an ssh ProxyCommand's {@code --token}). Each row: the text, what must
 * not be shown, and what must still be (the rest of the sentence, so the control that the rule does not
 * blank the warning).
 */
class ShownTextTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "the command $TOOLS/connect --token SECRET-PW-401 %h (named by ProxyCommand) | SECRET-PW-401 | --token … %h (named by ProxyCommand)",
        "KUBECONFIG=$(curl -fsS https://deploy:SECRET-PW-122@config.corp.example/kc) | SECRET-PW-122 | https://…@config.corp.example/kc",
        "$(sshpass -p SECRET-PW-123 ssh ops@bastion cat /etc/kc) | SECRET-PW-123 | sshpass -p … ssh ops@bastion",
        "$(sshpass -v -p SECRET-PW-124 ssh ops@bastion) | SECRET-PW-124 | ssh ops@bastion",
        "$(VAULT_TOKEN=SECRET-VT-120 vault kv get -field=path secret/gcp) | SECRET-VT-120 | VAULT_TOKEN=… vault kv get",
        "helper = !f() { echo username=x; echo password=SECRET-INLINE-41; }; f | SECRET-INLINE-41 | password=…; }; f",
        "extraHeader = Authorization: Bearer SECRET-B-1 (in /w/.git/config) | SECRET-B-1 | (in /w/.git/config)",
        "extraHeader = PRIVATE-TOKEN: SECRET-G-1 | SECRET-G-1 | PRIVATE-TOKEN: …",
        "extraHeader = cf-access-token: SECRET-CF-311 | SECRET-CF-311 | cf-access-token: …",
        "curl -H 'X-Api-Key: SECRET-XK-1' https://h | SECRET-XK-1 | https://h",
        "--password=SECRET-P-2 --user bob | SECRET-P-2 | --user bob",
        "url.https://ghp_SECRETTOKEN1234@github.com/.insteadof | ghp_SECRETTOKEN1234 | https://…@github.com/",
        // red team, 2026-12-06, R2-4: a listed form's value in quotes
        "curl --password \"SEKRITB\" -H x | SEKRITB | --password … -H x",
        "GITHUB_TOKEN=\"SEKRITD\" mysql | SEKRITD | GITHUB_TOKEN=… mysql",
        "export API_KEY='SEKRITG' && sh x.sh | SEKRITG | && sh x.sh",
    })
    void aSecretWrittenInAQuotedConfigIsLeftOut(String text, String secret, String kept) {
        String shown = ShownText.withoutSecrets(text);
        assertThat(shown).doesNotContain(secret).contains(kept);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "the working directory /home/u/p holds /home/u/p/kc (named by KUBECONFIG), a credential store",
        "--key-file /home/u/p/deploy.pem, a key it hands a program",
        "the command ssh -i ~/p/deploy.pem deploy@prod.example (named by core.sshCommand)",
        "/home/u/.config/gh/hosts.yml is not granted: it holds a token",
        "--author bob and --passive mode",
    })
    void textWithoutSecretsIsShownAsItIs(String text) {
        assertThat(ShownText.withoutSecrets(text)).isEqualTo(text);
    }
}
