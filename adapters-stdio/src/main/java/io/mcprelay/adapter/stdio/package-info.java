/**
 * The stdio upstream adapter (driven): process launch and lifecycle, line framing, routing of a
 * process's messages to the stream of the request they belong to or to the session's standalone stream.
 */
package io.mcprelay.adapter.stdio;
