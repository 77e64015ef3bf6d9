/** The services that implement the use cases by coordinating the domain and the outbound ports. */
package io.mcprelay.application.service;
