"""The app runs Python's garbage collector from its event loop, never inside a paint."""

import gc
import weakref

from PySide6.QtCore import QObject

from convviz.qt.shell.garbage import GarbageCollector


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_the_collector_runs_from_the_event_loop_and_gives_collection_back(qtbot, qapp):
    gc.enable()  # as Python starts (the suite keeps it off within a test)
    owner = QObject()
    collector = GarbageCollector(owner, interval_ms=20)
    try:
        assert not gc.isenabled()  # no collection in the middle of a paint
        node = Node()
        gone = weakref.ref(node)
        del node
        for _ in range(2000):  # enough new objects to pass the youngest generation's threshold
            Node()
        assert gone() is not None  # nothing collected it yet: the automatic collector is off
        qtbot.waitUntil(lambda: gone() is None, timeout=2000)  # the timer did
        gc.collect()
        assert collector.collect() == 0  # below every threshold: nothing done
    finally:
        collector.stop()
    assert gc.isenabled()
