/**
 * stdio upstreams: each relay session gets its own local MCP server process, launched without a
 * shell, spoken to in newline-delimited JSON-RPC over its stdin/stdout, its stderr sent to the log.
 * Requires nothing but the application (and so the domain): the few JSON facts it routes by are
 * read by its own small parser. Exports the one package bootstrap builds the adapter from.
 */
module io.mcprelay.adapters.stdio {
    requires transitive io.mcprelay.application;

    exports io.mcprelay.adapter.stdio;
}
