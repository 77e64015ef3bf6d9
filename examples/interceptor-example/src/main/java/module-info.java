/**
 * An example code interceptor for mcp-relay: refuses calls to tools whose names start with
 * {@code trigger-}. Needs only the relay's application module (its SPI package) and registers
 * itself as a service provider; mcp-relay finds it through ServiceLoader when this module is on
 * its module path. It exports nothing: the relay reaches the provider through the service alone.
 */
module io.mcprelay.examples.interceptor {
    requires io.mcprelay.application;

    provides io.mcprelay.application.spi.MessageInterceptor
            with io.mcprelay.examples.interceptor.DenyTriggerToolsInterceptor;
}
