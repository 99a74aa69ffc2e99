import { describe, expect, it } from "vitest";
import { saysNoToken, saysWrongScheme } from "../../src/doctor/checks/black-box.js";

// What an app's refusal says, read without a probe. Each message below is a framework's own (or
// its spelling variants); each pattern has at least one message only it reads.

describe("the app says the scheme is wrong", () => {
  it.each([
    "Unsupported authorization type",
    "unsupported authorisation type",
    "Authorization header must start with Bearer",
    "authorisation header must start with JWT",
    "Invalid Authorization header prefix",
    "bad authorisation header prefix",
    "Missing 'Bearer' Type in 'Authorization' Header",
    "Missing \"JWT\" type in \"Authorization\" header",
    "missing Bearer type in Authorization header",
    "Expected 'Authorization: Bearer'",
    "expected Authorization: JWT",
    "Format is Authorization: Bearer [token]",
    "Bad Authorization header. Expected value 'JWT <JWT>'",
    "bad authorisation header. expected a bearer token",
    "credentials_bad_scheme",
    "Invalid scheme",
    "invalid auth scheme",
    "Invalid authentication scheme",
    "invalid authorization scheme",
    "Expected 'Token <token>'",
    "expected JWT <jwt>",
    "Expected \"Bearer <credentials>\"",
    "Unsupported scheme",
    "unsupported auth scheme",
    "Unsupported authentication scheme",
    "unsupported authorization scheme",
  ])("%s", (message) => {
    expect(saysWrongScheme(message)).toBe(true);
  });

  it.each([
    "Token has expired",
    "Signature verification failed",
    "Missing Authorization Header",
    "Expected a token",
    "Format is Authorization:  Bearer",
    "expected Authorization: ",
    "Expected Bearer token",
    "Missing ' type in Authorization header",
    "invalidscheme",
    "unsupported  scheme",
  ])("not: %s", (message) => {
    expect(saysWrongScheme(message)).toBe(false);
  });
});

describe("the app says no token arrived", () => {
  it.each([
    "Request does not contain an access token",
    "Missing Authorization Header",
    "missing authorisation",
    "Missing token",
    "missing credentials",
    "Missing access token",
    "missing bearer token",
    "No authorization token was found",
    "no authorisation header",
    "No token provided",
    "no credentials",
    "No auth",
    "Authentication credentials were not provided.",
    "Token is missing",
    "Authorization header required",
    "authorisation required",
    "credentials are required",
    "token not present",
    "Authorization header not found",
    "token missing",
    "credentials not provided",
    "Authentication required",
    "Unauthorized: no valid session",
    "unauthorised: no session",
    "{\"detail\":\"Not authenticated\"}",
    "{ \"detail\": \"Not authenticated.\" }",
    "auth header is empty",
    "Authorization header is empty",
  ])("%s", (message) => {
    expect(saysNoToken(message)).toBe(true);
  });

  it.each([
    "Token has expired",
    "no authentication possible",
    "notoken",
    "Unauthenticated.",
    "Token invalid",
    "authorization is wrong",
    "Unauthorized",
    "token is not valid",
    "User is not authenticated",
    "{\"detail\":\"Could not validate credentials\"}",
    "auth header is not empty",
    // AWS API Gateway's answer for a path or method it has no route for, token or not.
    "{\"message\":\"Missing Authentication Token\"}",
  ])("not: %s", (message) => {
    expect(saysNoToken(message)).toBe(false);
  });
});
