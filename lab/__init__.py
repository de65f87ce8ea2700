"""proclab: a containerized Linux process lab."""
