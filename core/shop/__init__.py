"""The shop itself: its basics (name, country), the profile its notice needs, and supervisory authorities.

Plain data and rules. Imports only core.errors."""
