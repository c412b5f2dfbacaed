package dev.darklaunch.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends a request exactly as written (no client-side path normalisation or header checks), for
 * tests of path tricks such as {@code //api} or {@code /api/./v1} and of requests that are not
 * valid HTTP.
 */
public final class RawHttp {

    /** Status code and the whole response text. */
    public record Response(int status, String text) {

        /** The value of a header (the first with that name, case-insensitive), or null. */
        public String header(String name) {
            for (String line : head().split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        /** The status line and headers. */
        public String head() {
            int end = text.indexOf("\r\n\r\n");
            return end < 0 ? text : text.substring(0, end);
        }

        /** What follows the headers. */
        public String body() {
            int end = text.indexOf("\r\n\r\n");
            return end < 0 ? "" : text.substring(end + 4);
        }
    }

    private RawHttp() {
    }

    private static String read(InputStream in) throws IOException {
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        long expected = -1;
        int last4 = 0;
        try {
            for (int b; (b = in.read()) >= 0; ) {
                response.write(b);
                last4 = (last4 << 8) | b;
                if (expected < 0 && last4 == 0x0d0a0d0a) {
                    String length = new Response(0, response.toString(StandardCharsets.ISO_8859_1)).header("Content-Length");
                    if (length == null) {
                        in.transferTo(response);
                        break;
                    }
                    expected = response.size() + Long.parseLong(length);
                }
                if (expected >= 0 && response.size() >= expected) {
                    break;
                }
            }
        } catch (java.net.SocketException reset) {
            // a server that closes with unread request bytes may reset the connection: keep what came
        } catch (java.net.SocketTimeoutException silent) {
            // the server stopped sending without closing: the answer is what came (the test judges it)
        }
        return response.toString(StandardCharsets.UTF_8);
    }

    public static Response get(int port, String rawPath, String token) {
        String request = "GET " + rawPath + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n";
        return send(port, request.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Sends the bytes as they are (a server may answer before it has read them all) and reads one
     * answer: its head, then as many bytes as its Content-Length says, or everything until the
     * server closes the connection.
     */
    public static Response send(int port, byte[] request) {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(request);
                    out.flush();
                } catch (IOException closed) {
                    // the server answered and closed before reading everything: the answer is what counts
                }
            }, "raw-http-writer");
            writer.setDaemon(true);
            writer.start();
            String text = read(socket.getInputStream());
            int status = text.startsWith("HTTP/1.") ? Integer.parseInt(text.substring(9, 12)) : -1;
            return new Response(status, text);
        } catch (IOException e) {
            throw new AssertionError("raw request failed", e);
        }
    }
}
