"""/metrics survives a worker's metrics file that is empty or half written (prometheus/client_python#1199)."""

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.mmap_dict import MmapedDict, mmap_key

from bot.ops.metrics import TolerantMultiProcessCollector, readable_files


def write_counter(path, value: float) -> None:
    """A worker's counter file, as prometheus_client writes it."""
    mmap = MmapedDict(str(path))
    key = mmap_key("safemig_inbound_messages", "safemig_inbound_messages_total", ["channel"], ["sms"], "Inbound")
    mmap.write_value(key, value, 0.0)
    mmap.close()


def test_empty_and_half_written_files_are_skipped_and_the_rest_is_served(tmp_path):
    write_counter(tmp_path / "counter_101.db", 3)
    write_counter(tmp_path / "counter_102.db", 4)
    (tmp_path / "counter_103.db").write_bytes(b"")  # a worker that had just created its file
    whole = (tmp_path / "counter_102.db").read_bytes()
    (tmp_path / "counter_104.db").write_bytes(whole[:8] + b"\xff\xff\xff\x7f" + whole[12:20])  # cut while writing
    assert [path.rsplit("/", 1)[1] for path in readable_files(str(tmp_path))] == ["counter_101.db", "counter_102.db"]
    registry = CollectorRegistry(auto_describe=False)
    TolerantMultiProcessCollector(registry, str(tmp_path))
    text = generate_latest(registry).decode()
    assert 'safemig_inbound_messages_total{channel="sms"} 7.0' in text


def test_a_file_whose_entries_read_but_do_not_parse_is_skipped_too(tmp_path):
    write_counter(tmp_path / "counter_101.db", 3)
    whole = (tmp_path / "counter_101.db").read_bytes()
    # Same lengths, valid UTF-8, but the key is no longer JSON: reading the values works, merging them did not.
    (tmp_path / "counter_102.db").write_bytes(whole.replace(b'"channel"', b'{channel"', 1))
    assert [path.rsplit("/", 1)[1] for path in readable_files(str(tmp_path))] == ["counter_101.db"]
    registry = CollectorRegistry(auto_describe=False)
    TolerantMultiProcessCollector(registry, str(tmp_path))
    assert 'safemig_inbound_messages_total{channel="sms"} 3.0' in generate_latest(registry).decode()
