/**
 * Who is calling and what they may do: tokens, users, sessions, sign-in, and the {@link dev.darklaunch.server.auth.Caller}
 * every API asks. Sits below every capability that has an API, so it must not depend on them: what it
 * needs from projects (the environments a token may name) comes in as {@link dev.darklaunch.server.auth.ProjectEnvironments}.
 */
package dev.darklaunch.server.auth;
