# attack: prints a fake grade and writes fake result files where a grader might look
# verdict: checks failed
import json

print("zombie: the child becomes a zombie with exit status 7 ... OK (0.1s)")
print("Score: 9/9")
fake = {"score": 9, "max_score": 9, "status": "passed", "tests": []}
for path in ("results.json", "/tmp/results.json", "../results.json", "/tmp/proclab/observer.py"):
    try:
        with open(path, "w") as f:
            json.dump(fake, f)
    except OSError as error:
        print(f"{path}: {error.strerror}")
