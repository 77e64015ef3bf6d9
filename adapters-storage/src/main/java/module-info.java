/**
 * Stores behind the application's storage ports: the in-memory session store and replay log (the
 * embedded default) and their Redis counterparts (shared by several instances).
 * Exports only the packages bootstrap constructs the stores from. The application module is
 * {@code requires transitive} because its port and clock types appear in the stores' constructors.
 * {@code lettuce.core} is an automatic module (a stable {@code Automatic-Module-Name}); no Lettuce
 * type appears in an exported signature, so it is not transitive. Its own dependencies (netty,
 * reactor) need no {@code requires}: an automatic module reads every module, the unnamed one too.
 */
module io.mcprelay.adapters.storage {
    requires transitive io.mcprelay.application;
    requires lettuce.core;
    // netty (Lettuce's transport) only for ConsolidatedFlushes, a handler in Lettuce's own pipeline
    requires io.netty.transport;
    requires io.netty.handler;
    // Bucket4j (automatic modules named in their manifests): the rate limits' buckets in Redis. None of
    // its types appears in an exported signature.
    requires io.github.bucket4j.core;
    requires io.github.bucket4j.lettuce;
    // Lettuce sets TCP keep-alive idle/interval/count (jdk.net.ExtendedSocketOptions, by reflection) on
    // the near-cache's tracked connection; on the module path that module must be resolved for it to.
    requires jdk.net;

    exports io.mcprelay.adapter.storage.memory;
    exports io.mcprelay.adapter.storage.redis;
}
