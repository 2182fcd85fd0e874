package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A client's first request in a new session may reach the server before the initialize that opened it has finished
 * there: the SDK sends the answer, naming the session, from inside the filter chain. A stress run of
 * {@link HttpClientDepartureTest} on a loaded host had the call answered 404, "has ended", and its command never ran.
 * Here the next request comes exactly then, from inside the initialize's chain.
 */
class HttpSessionOpeningTest {
    @Test
    void aSessionIsKnownAsSoonAsItsAnswerNamesIt() throws Exception {
        HttpSessionLimit limit = new HttpSessionLimit(4, Duration.ofMinutes(30));
        AtomicBoolean handled = new AtomicBoolean();
        FakeResponse next = new FakeResponse();
        // the answer is on its way; the client's next request arrives before this initialize returns
        FilterChain sdk = opens("s-1", (request, response) ->
                limit.doFilter(request("POST", "s-1"), next.proxy(), (req, res) -> handled.set(true)));
        FakeResponse initialize = new FakeResponse();
        limit.doFilter(request("POST", null), initialize.proxy(), sdk);

        assertThat(next.status).as(next.body.toString(StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(handled).as("the request in the new session reached the SDK").isTrue();
        assertThat(initialize.headers).containsEntry("mcp-session-id", "s-1");
    }

    @Test
    void aSessionNoAnswerNamedIsUnknown() throws Exception {
        // the control: a session the server never opened is answered 404
        HttpSessionLimit limit = new HttpSessionLimit(4, Duration.ofMinutes(30));
        FakeResponse response = new FakeResponse();
        AtomicBoolean handled = new AtomicBoolean();
        limit.doFilter(request("POST", "never-opened"), response.proxy(), (req, res) -> handled.set(true));
        assertThat(response.status).isEqualTo(404);
        assertThat(response.body.toString(StandardCharsets.UTF_8)).contains("has ended");
        assertThat(handled).isFalse();
    }

    @Test
    void anInitializeCountsOnceAgainstTheCap() throws Exception {
        // a session registered while its initialize still runs is not also counted as one being opened
        HttpSessionLimit limit = new HttpSessionLimit(2, Duration.ofMinutes(30));
        FakeResponse second = new FakeResponse();
        FilterChain sdk = opens("s-1", (request, response) ->
                limit.doFilter(request("POST", null), second.proxy(), opens("s-2", (req, res) -> {})));
        limit.doFilter(request("POST", null), new FakeResponse().proxy(), sdk);
        assertThat(second.status).as(second.body.toString(StandardCharsets.UTF_8)).isEqualTo(200);
        FakeResponse third = new FakeResponse();
        limit.doFilter(request("POST", null), third.proxy(), (req, res) -> {});
        assertThat(third.status).isEqualTo(503);
    }

    @Test
    void aSessionEndedBeforeItsInitializeReturnedStaysEnded() throws Exception {
        // review of the fix: the client's DELETE came while the initialize still ran, and the check after the SDK
        // returned registered the session again, a place held for nobody until it idled out
        HttpSessionLimit limit = new HttpSessionLimit(2, Duration.ofMinutes(30));
        FakeResponse deleted = new FakeResponse();
        FilterChain sdk = opens("s-1", (request, response) ->
                limit.doFilter(request("DELETE", "s-1"), deleted.proxy(), (req, res) -> {}));
        limit.doFilter(request("POST", null), new FakeResponse().proxy(), sdk);
        assertThat(deleted.status).isEqualTo(200);
        for (String id : new String[] {"s-2", "s-3"}) {
            FakeResponse opened = new FakeResponse();
            limit.doFilter(request("POST", null), opened.proxy(), opens(id, (req, res) -> {}));
            assertThat(opened.status).as("%s: %s", id, opened.body.toString(StandardCharsets.UTF_8)).isEqualTo(200);
        }
        FakeResponse ended = new FakeResponse();
        limit.doFilter(request("POST", "s-1"), ended.proxy(), (req, res) -> {});
        assertThat(ended.status).isEqualTo(404);
    }

    /** The SDK opening session {@code id}: it names it in the answer, and {@code meanwhile} comes before it returns. */
    private static FilterChain opens(String id, FilterChain meanwhile) {
        return (request, response) -> {
            ((HttpServletResponse) response).setHeader("Mcp-Session-Id", id);
            meanwhile.doFilter(request, response);
        };
    }

    private static HttpServletRequest request(String method, String session) {
        return (HttpServletRequest) Proxy.newProxyInstance(HttpSessionOpeningTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getHeader" -> "mcp-session-id".equalsIgnoreCase((String) args[0]) ? session : null;
                    case "toString" -> method + " " + session;
                    default -> null;
                });
    }

    /** A response that keeps its status, headers (by lower-case name) and body. */
    private static final class FakeResponse {
        int status = 200;
        final Map<String, String> headers = new HashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        HttpServletResponse proxy() {
            return (HttpServletResponse) Proxy.newProxyInstance(HttpSessionOpeningTest.class.getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> switch (m.getName()) {
                        case "setStatus" -> {
                            status = (Integer) args[0];
                            yield null;
                        }
                        case "getStatus" -> status;
                        case "setHeader", "addHeader" -> {
                            headers.put(((String) args[0]).toLowerCase(java.util.Locale.ROOT), (String) args[1]);
                            yield null;
                        }
                        case "getHeader" -> headers.get(((String) args[0]).toLowerCase(java.util.Locale.ROOT));
                        case "getOutputStream" -> new ServletOutputStream() {
                            @Override
                            public boolean isReady() {
                                return true;
                            }

                            @Override
                            public void setWriteListener(WriteListener listener) {
                                throw new UnsupportedOperationException();
                            }

                            @Override
                            public void write(int b) {
                                body.write(b);
                            }
                        };
                        case "toString" -> "response " + status;
                        default -> null;
                    });
        }
    }
}
