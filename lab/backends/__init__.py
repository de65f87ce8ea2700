"""The backends behind `lab.sandbox`: where sandboxes really run.

* `docker`: a locked-down container per sandbox, through the Docker SDK (`docker_image` builds
  the image). The only modules that import ``docker`` or ``requests``.
* `local`: in place, without an engine: a subreaper of ours (`supervisor`) runs the programs as a
  dedicated uid, confined by `confine`. For course platforms that grade inside a container of
  their own (Gradescope, PrairieLearn, a Kubernetes Job) and for Linux machines without Docker.

Each module has a ``connect(purpose, run_id)`` that `lab.sandbox.connect` calls.
"""
