"""When something goes wrong (reserved): complaints, the breach kit and the owner's readable audit log.

May import everything below it, including core.rights (a complaint can become a rights request)."""
