"""``taonet node`` is registered on the main command line."""

from __future__ import annotations

from typer.testing import CliRunner


def test_node_command_is_registered() -> None:
    from taonet.cli.main import app

    result = CliRunner().invoke(app, ["node", "--help"])
    assert result.exit_code == 0
    for option in ("--dev", "--chain", "--base-path", "--rpc-port", "--block-time", "--instant-seal", "--authority", "--peer"):
        assert option in result.output


def test_bad_options_are_refused() -> None:
    from taonet.cli.main import app

    result = CliRunner().invoke(app, ["node", "--block-time", "0"])
    assert result.exit_code != 0
