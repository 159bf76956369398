/**
 * Who may do what: bearer tokens that are OIDC JWTs (resource server) or static tokens from
 * configuration, each mapped to a person or tool with roles viewer, operator, approver.
 */
package io.pgrunbooks.api.security;
