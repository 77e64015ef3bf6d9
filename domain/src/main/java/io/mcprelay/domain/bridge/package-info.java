/**
 * The pure translations of the bridge between the two MCP protocol eras (issue 18 §2, design note
 * MCP-2026-07-28 §6): a 2026-07-28 ("modern") client in front of a 2025-era upstream (bridge b,
 * {@link io.mcprelay.domain.bridge.ModernToLegacy}), a 2025-era client in front of a modern-only upstream
 * (bridge a, {@link io.mcprelay.domain.bridge.LegacyToModern}, {@link io.mcprelay.domain.bridge.RoutingHeaders}),
 * and the multi round-trip core that turns {@code input_required} results into server-to-client requests
 * and back ({@link io.mcprelay.domain.bridge.InputRound}, {@link io.mcprelay.domain.bridge.ParkedQuestions},
 * {@link io.mcprelay.domain.bridge.RequestStateSealer}).
 *
 * <p>The domain had no JSON tree (it keeps only the facts it classifies, {@code McpFacts}); these translations
 * build and rewrite whole JSON-RPC messages, so they work on {@link io.mcprelay.domain.bridge.JsonValue}, an
 * immutable JSON tree that {@link io.mcprelay.domain.bridge.JsonText} reads and writes. Nothing here does I/O,
 * reads a clock (time comes in as a parameter) or holds state: the adapters that will carry the bridge own the
 * sessions, streams and timers. None of it is wired into request handling yet.
 */
package io.mcprelay.domain.bridge;
