/**
 * Stores behind the application's storage ports: the in-memory store, the embedded default.
 * Exports only the package bootstrap constructs the stores from.
 */
module io.mcprelay.adapters.storage {
    requires io.mcprelay.application;

    exports io.mcprelay.adapter.storage.memory;
}
