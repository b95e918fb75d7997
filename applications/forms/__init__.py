"""HTML forms of applications: they parse and explain; the rules live in `applications.services`."""
