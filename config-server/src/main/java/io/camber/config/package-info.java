/**
 * The Camber config server: a plain Spring Cloud Config Server on the {@code native} profile, so the
 * whole cluster is configured from one folder of YAML files ({@code camber.config.dir}).
 */
package io.camber.config;
