"""Reports and files that return bytes; only the views know about HTTP."""
