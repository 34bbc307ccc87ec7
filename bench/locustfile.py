"""One page under load, for bench/city.py: every simulated user GETs BENCH_PATH as fast as the
server answers (no think time), with the session cookie BENCH_COOKIE ("name=value") if given.

    BENCH_PATH=/admin/login/ locust -f bench/locustfile.py --headless -u 50 -r 50 -t 20s \
        --host http://127.0.0.1:8765 --csv /tmp/run

bench/city.py runs it twice in a row, once for the bare page and once for the page measured, and
compares the two runs' throughput.
"""

import os

from locust import FastHttpUser, constant, task

PATH = os.environ.get("BENCH_PATH", "/admin/login/")
COOKIE = os.environ.get("BENCH_COOKIE", "")


class PageUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def page(self) -> None:
        headers = {"Cookie": COOKIE} if COOKIE else {}
        with self.client.get(PATH, headers=headers, name=PATH, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
