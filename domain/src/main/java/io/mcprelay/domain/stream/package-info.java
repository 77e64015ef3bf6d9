/** Server-sent events as values: what flows on a stream, independent of any HTTP library. */
package io.mcprelay.domain.stream;
