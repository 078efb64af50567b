package client

// Version is the version of tokengate sent in the Auth0-Client telemetry
// header and the User-Agent.
const Version = "0.1.0"
