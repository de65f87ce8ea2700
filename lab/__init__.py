"""proclab: a containerized Linux process lab."""

__version__ = "0.2.0"
