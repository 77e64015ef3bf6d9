/** In-memory stores: the embedded default, holding state in this JVM only and losing it on restart. */
package io.mcprelay.adapter.storage.memory;
