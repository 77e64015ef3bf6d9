/** The composition root: command line, wiring, and the server's lifecycle. */
package io.mcprelay.bootstrap;
