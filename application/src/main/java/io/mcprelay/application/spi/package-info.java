/**
 * The extension point for code interceptors: implement {@link io.mcprelay.application.spi.MessageInterceptor}
 * in your own module and declare it with {@code provides ... with ...}; mcp-relay finds it through
 * {@link java.util.ServiceLoader} at start-up (docs/interceptors.md). Interfaces and data records only,
 * no framework types, so an interceptor module needs nothing but this module.
 */
package io.mcprelay.application.spi;
