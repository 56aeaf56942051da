"""The operator console: sign-in, live calls, the escalations queue, accept / listen / resolve."""
