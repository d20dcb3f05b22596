# The two commands of the README. Everything else lives in scripts/ and pyproject.toml.
# make demo PEOPLE=2000 runs a smaller demo.
.PHONY: demo test readme

demo:
	scripts/setup
	.venv/bin/corridor demo --simulate $(if $(PEOPLE),--people $(PEOPLE))

# the whole suite on SQLite, then again on PostgreSQL (a throw-away server the tests start: tests/postgresql.py)
test:
	scripts/setup --test
	.venv/bin/python -m pytest
	CORRIDOR_TEST_DB=postgresql .venv/bin/python -m pytest

readme:
	scripts/readme
