/**
 * The HTTP adapters: the Helidon WebServer endpoint clients talk to (driving, {@code adapter.http.in}),
 * the Helidon WebClient adapter that talks to upstreams (driven, {@code adapter.http.out}), and the
 * Jackson codec both sides use ({@code adapter.http.json}).
 */
module io.mcprelay.adapters.http {
    requires io.mcprelay.application;
    requires io.helidon.webserver;
    requires io.helidon.webclient;
    requires com.fasterxml.jackson.databind;

    exports io.mcprelay.adapter.http.in;
    exports io.mcprelay.adapter.http.out;
    exports io.mcprelay.adapter.http.json;
}
