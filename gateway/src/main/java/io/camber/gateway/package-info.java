/**
 * The Camber gateway: Spring Cloud Gateway routing the admin REST API to any MDS ({@code route}) and
 * answering its own failures in the cluster's error vocabulary ({@code error}).
 */
package io.camber.gateway;
