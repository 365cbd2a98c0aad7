"""`make cluster-check` (bench/cluster.py) runs beside `make test`, not in it; the load balancer
it builds is checked here, in a second."""

import re
import subprocess
from pathlib import Path

from bench import cluster

ROOT = Path(__file__).resolve().parents[1]


def backend(config, name):
    return re.search(rf"^backend {name}\n((?:    .*\n)+)", config, re.M)[1]


def test_the_load_balancer_rotates_request_by_request_and_names_the_server(tmp_path):
    pem = tmp_path / "lb.pem"
    cluster.self_signed_pem(pem)
    config = cluster.haproxy_config(lb_port=8443, pem=pem, web_ports={"web1": 8001, "web2": 8002})
    path = tmp_path / "haproxy.cfg"
    path.write_text(config)
    checked = subprocess.run(
        [cluster.HAPROXY, "-c", "-f", str(path)], capture_output=True, text=True, timeout=30
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    web = backend(config, "web")
    assert "balance roundrobin" in web
    assert "X-Served-By %s" in web
    # No sticky sessions: nothing pins a browser to the server it first reached.
    directives = "\n".join(line.split("#")[0] for line in config.splitlines())
    for sticky in ("cookie ", "stick", "prefer-last-server", "balance source"):
        assert sticky not in directives
    assert "X-Forwarded-Proto https" in config


def test_make_test_does_not_start_the_cluster():
    makefile = (ROOT / "Makefile").read_text()
    test_target = re.search(r"^test: (.*)$", makefile, re.M)[1]
    assert "cluster" not in test_target
    assert re.search(r"^cluster-check: ", makefile, re.M)
