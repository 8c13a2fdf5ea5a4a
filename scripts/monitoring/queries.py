#!/usr/bin/python3
"""Runs every query of the Grafana dashboard and every alert expression against a real Prometheus.

    queries.py PROMETHEUS_URL DASHBOARD_JSON ALERT_RULES_YML

Each dashboard target must evaluate and return series; each alert expression must evaluate, every
metric selector in it must return series, and Prometheus must report every rule healthy. A series the
test setup cannot produce is named in CANNOT_EXIST with the reason, and printed as SKIP, never hidden.
Exits 1 on the first failure class found (all failures are printed).
"""
import json
import re
import sys
import time
import urllib.parse
import urllib.request

import yaml

# Grafana's variables, as the dashboard's "All" would expand them.
VARIABLES = {"$__rate_interval": "1m", "$__range": "1h", "$job": ".+", "$queue": ".+"}
# The test clamd loads only the project's test signatures, which carry no date: clamd's VERSION has no
# database part, so the worker leaves the age gauge out (it never exports an unknown age as 0).
CANNOT_EXIST = {"scanworker_clamd_signature_age_seconds": "the test signatures carry no date (ScanWorkerSignatureDateUnknown fires instead)",
                "scanworker_rescan_objects_total": "the check's worker runs no rescan (the bucket tests check this metric: RescanTests, CephRgwNotificationTests)"}


def query(base, expr):
    url = f"{base}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen(url, timeout=10) as response:
        body = json.load(response)
    if body.get("status") != "success":
        raise RuntimeError(f"{expr}: {body}")
    return body["data"]["result"]


# What the test setup must make Prometheus say about a rule (clamd up, no signature date: see CANNOT_EXIST).
EXPECTED_STATES = {"ScanWorkerSignatureDateUnknown": "pending", "ScanWorkerClamdDown": "inactive", "ScanWorkerDown": "inactive",
                   "ScanWorkerEngineCanaryFailing": "inactive", "ScanWorkerClamdBreakerOpen": "inactive"}
TOKENS = re.compile(r'"[^"]*"|\[[^\]]*\]|\b(?:by|on|without|ignoring|group_left|group_right)\s*\([^)]*\)'
                    r'|([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[^}"]|"[^"]*")*\})?')
# Operators and aggregations ("sum by (x) (...)" puts a clause between the name and its parenthesis).
KEYWORDS = {"and", "or", "unless", "bool", "offset", "sum", "min", "max", "avg", "count", "group", "stddev", "stdvar",
            "topk", "bottomk", "quantile", "count_values"}


def selectors(expr):
    """The metric selectors of an expression: a metric name with its {matchers}, if any."""
    found = []
    for match in TOKENS.finditer(expr):
        name = match.group(1)
        if name is None or name in KEYWORDS or expr[match.end():].lstrip().startswith("("):
            continue
        found.append(name + (match.group(2) or ""))
    return found


def expand(expr):
    for name, value in VARIABLES.items():
        expr = expr.replace(name, value)
    return expr


def main(base, dashboard_path, rules_path):
    failures, checked, skipped = [], 0, 0
    dashboard = json.load(open(dashboard_path))
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            expr = expand(target["expr"])
            checked += 1
            absent = [name for name in CANNOT_EXIST if name in expr]
            result = query(base, expr)
            if absent:
                skipped += 1
                print(f"monitoring: SKIP panel '{panel['title']}': {expr} ({CANNOT_EXIST[absent[0]]}; evaluated, {len(result)} series)")
            elif result:
                print(f"monitoring: ok   panel '{panel['title']}': {len(result)} series from {expr}")
            else:
                failures.append(f"panel '{panel['title']}' returned no series: {expr}")

    rules = yaml.safe_load(open(rules_path))
    for group in rules["groups"]:
        for rule in group["rules"]:
            expr = " ".join(rule["expr"].split())
            query(base, expr)  # must evaluate
            checked += 1
            for selector in selectors(expr):
                name = re.match(r"[a-zA-Z_:][a-zA-Z0-9_:]*", selector).group(0)
                if name in CANNOT_EXIST:
                    skipped += 1
                    print(f"monitoring: SKIP rule {rule['alert']}: {selector} ({CANNOT_EXIST[name]})")
                elif query(base, selector):
                    print(f"monitoring: ok   rule {rule['alert']}: {selector} has series")
                else:
                    failures.append(f"rule {rule['alert']}: selector {selector} returned no series")

    # Prometheus loaded the same file and evaluated every rule without an error.
    with urllib.request.urlopen(f"{base}/api/v1/rules", timeout=10) as response:
        loaded = json.load(response)["data"]["groups"]
    states = {rule["name"]: rule for group in loaded for rule in group["rules"]}
    for group in rules["groups"]:
        for rule in group["rules"]:
            state = states.get(rule["alert"])
            if state is None:
                failures.append(f"Prometheus did not load rule {rule['alert']}")
            elif state.get("health") != "ok":
                failures.append(f"rule {rule['alert']} is {state.get('health')}: {state.get('lastError')}")
            elif EXPECTED_STATES.get(rule["alert"], state["state"]) != state["state"]:
                failures.append(f"rule {rule['alert']} is {state['state']}, expected {EXPECTED_STATES[rule['alert']]}")
            else:
                print(f"monitoring: ok   Prometheus evaluates {rule['alert']}: {state['state']}")
    for failure in failures:
        print(f"monitoring: FAIL {failure}", file=sys.stderr)
    print(f"monitoring: {checked} queries and rules evaluated, {skipped} selectors skipped with a reason, {len(failures)} failures")
    return 1 if failures else 0


def wait_for(base, expr, minimum, timeout_s):
    deadline = time.monotonic() + timeout_s
    result = []
    while time.monotonic() < deadline:
        try:
            result = query(base, expr)
            if len(result) >= minimum:
                return
        except OSError as error:
            result = [str(error)]
        time.sleep(0.5)
    seen = "; ".join(json.dumps(series.get("metric", series)) if isinstance(series, dict) else series for series in result)
    sys.exit(f"monitoring: FAIL {expr} did not reach {minimum} series within {timeout_s} s (has: {seen or 'none'})")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--wait":
        wait_for(sys.argv[2], sys.argv[3], int(sys.argv[4]), 60)
        sys.exit(0)
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
