"""The domain: plain values, events and rules. Imports only the standard library."""
