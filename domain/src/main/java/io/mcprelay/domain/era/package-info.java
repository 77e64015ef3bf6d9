/**
 * The two protocol eras on one endpoint (MCP 2026-07-28 beside the 2025 revisions): which era a
 * request belongs to, decided from its body first as the official SDK does; the routing claims a
 * modern request carries beside its body and their validation; and what is known of each upstream's
 * eras (configured, or judged from a {@code server/discover} probe).
 */
package io.mcprelay.domain.era;
