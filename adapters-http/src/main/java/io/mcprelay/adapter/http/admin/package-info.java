/** The driving adapter for operators: the admin JSON API on its own listener, behind a token. */
package io.mcprelay.adapter.http.admin;
