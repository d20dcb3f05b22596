# The two commands of the README. Everything else lives in scripts/ and pyproject.toml.
# make demo PEOPLE=2000 runs a smaller demo.
.PHONY: demo test readme

demo:
	scripts/setup
	.venv/bin/corridor demo --simulate $(if $(PEOPLE),--people $(PEOPLE))

# the whole suite on SQLite and on PostgreSQL (a throw-away server the tests start: tests/postgresql.py), side by side
test:
	scripts/setup --test
	scripts/test

readme:
	scripts/readme
