"""Exit 0 when the named service answers: `service_check.py postgres URL` or `service_check.py redis URL`."""

import sys


def main(kind: str, url: str) -> int:
    try:
        if kind == "postgres":
            import dj_database_url
            import psycopg

            cfg = dj_database_url.parse(url)
            psycopg.connect(
                host=cfg["HOST"] or None,
                port=cfg["PORT"] or None,
                user=cfg["USER"] or None,
                password=cfg["PASSWORD"] or None,
                dbname="postgres",
                connect_timeout=3,
            ).close()
        elif kind == "redis":
            import redis

            redis.Redis.from_url(url, socket_connect_timeout=3).ping()
        else:
            return 2
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        print(f"{kind}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
