# newsloom — the two set-up commands are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DB ?= newsloom-demo.db

.PHONY: install demo serve screenshot test docs clean bench bench-extraction bench-dedup bench-cluster bench-cluster-neus bench-scale bench-throughput bench-digest bench-crosscheck bench-semantic

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch 2.13.0 first: pip takes the local CPU wheel; constraints.txt keeps anything else from pulling
# another torch (with CUDA). On a machine without that wheel pip downloads the 2.13.0 CPU-or-CUDA build
# from PyPI; to skip the semantic extra there, run: $(BIN)/pip install -e '.[test]'
$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test,semantic]' -c constraints.txt
	touch $(STAMP)

install: $(STAMP)

demo: install
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/newsloom demo --db $(DEMO_DB)
	@echo "Or, from this folder: make serve   (then open http://127.0.0.1:8000)"

serve: install
	$(BIN)/newsloom serve --db $(DEMO_DB)

screenshot: install
	NEWSLOOM_UPDATE_SCREENSHOT=1 $(BIN)/python -m pytest -q tests/test_web_browser.py

test: install
	bash scripts/ensure-browser.sh
	$(BIN)/python -m pytest -q

# Benchmarks read ../shared/data and write bench/RESULTS.md; see bench/README.md.
BENCH_STAMP := $(VENV)/.bench-stamp
$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,bench,semantic]' -c constraints.txt
	touch $(BENCH_STAMP)

bench: bench-extraction bench-dedup bench-cluster bench-cluster-neus bench-scale bench-throughput bench-digest bench-crosscheck bench-semantic

bench-extraction: $(BENCH_STAMP)
	$(BIN)/python bench/bench_extraction.py

bench-dedup: $(BENCH_STAMP)
	$(BIN)/python bench/bench_dedup.py

bench-cluster: $(BENCH_STAMP)
	$(BIN)/python bench/bench_cluster.py

bench-cluster-neus: $(BENCH_STAMP)
	$(BIN)/python bench/bench_cluster_neus.py --orders 3

bench-scale: $(BENCH_STAMP)
	$(BIN)/python bench/bench_scale.py

bench-throughput: $(BENCH_STAMP)
	$(BIN)/python bench/bench_throughput.py

bench-digest: $(BENCH_STAMP)
	$(BIN)/python bench/bench_digest.py

bench-crosscheck: $(BENCH_STAMP)
	$(BIN)/python bench/bench_crosscheck.py --out-section

bench-semantic: $(BENCH_STAMP)
	$(BIN)/python bench/bench_semantic.py

docs: install
	$(BIN)/python scripts/update-readme-settings.py

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm .pytest_cache
