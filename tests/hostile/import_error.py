# attack: an import that fails
# verdict: crashed: ModuleNotFoundError
import numpy_that_is_not_there
