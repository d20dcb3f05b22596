# The two commands of the README. Everything else lives in scripts/ and pyproject.toml.
.PHONY: demo test

demo:
	scripts/setup
	.venv/bin/corridor demo --simulate

test:
	scripts/setup --test
	.venv/bin/python -m pytest
