"""The release folder is written beside dist/ and swapped in whole: the files handed to the
writer threads (the per-record documents) are all there with their checksums before the swap,
and a write that fails leaves the previous folder as it was and nothing staged."""

import hashlib

import pytest

from mirkg.release import StagedTree


def test_files_written_soon_are_complete_and_summed_before_the_swap(tmp_path):
    target = tmp_path / "dist"
    files = {f"doc/kind{i % 3}/record{i}.ttl": f"record {i}\n".encode() * (i + 1) for i in range(500)}
    with StagedTree(target) as tree:
        for rel, content in files.items():
            tree.write_soon(rel, content)
        tree.write("SHA256SUMS", tree.sums())
        tree.commit()
    sums = dict(reversed(line.split("  ")) for line in (target / "SHA256SUMS").read_text().splitlines())
    assert set(sums) == set(files)
    for rel, content in files.items():
        assert (target / rel).read_bytes() == content
        assert sums[rel] == hashlib.sha256(content).hexdigest()


def test_a_file_handed_over_twice_is_refused_at_once(tmp_path):
    with StagedTree(tmp_path / "dist") as tree:
        tree.write_soon("doc/a.ttl", b"a")
        with pytest.raises(ValueError, match="written twice"):
            tree.write_soon("doc/a.ttl", b"b")


def test_a_failed_write_is_raised_and_the_previous_release_stays(tmp_path):
    target = tmp_path / "dist"
    target.mkdir()
    (target / "SHA256SUMS").write_text("previous release\n")
    with pytest.raises(OSError):
        with StagedTree(target) as tree:
            tree.write_soon("doc/a.ttl", b"a")
            (tree.staging / "doc" / "b.ttl").mkdir()  # a folder where a file is to go: its write fails
            tree.write_soon("doc/b.ttl", b"b")
            tree.commit()
    assert (target / "SHA256SUMS").read_text() == "previous release\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]  # nothing staged is left


def test_files_another_process_wrote_are_listed_with_the_trees_own(tmp_path):
    from mirkg.children import in_child
    from mirkg.release import write_files

    target = tmp_path / "dist"
    with StagedTree(target) as tree:
        tree.write_soon("doc/a/0.ttl", b"zero")
        tree.flush()
        child = in_child(write_files, tree.staging, [("doc/a/1.ttl", b"one"), ("doc/b/2.ttl", b"two")])
        tree.adopt(child()[0])
        with pytest.raises(ValueError, match="written twice"):
            tree.adopt([("doc/a/1.ttl", "x", 1)])
        tree.write("SHA256SUMS", tree.sums())
        tree.commit()
    sums = (target / "SHA256SUMS").read_text()
    for rel, content in (("doc/a/0.ttl", b"zero"), ("doc/a/1.ttl", b"one"), ("doc/b/2.ttl", b"two")):
        assert (target / rel).read_bytes() == content
        assert f"{hashlib.sha256(content).hexdigest()}  {rel}\n" in sums


def test_another_process_never_writes_over_a_file_of_the_tree(tmp_path):
    from mirkg.release import write_files

    with StagedTree(tmp_path / "dist") as tree:
        tree.write("doc/a.ttl", b"the tree's")
        with pytest.raises(FileExistsError):
            write_files(tree.staging, [("doc/a.ttl", b"another's")])
        assert (tree.staging / "doc" / "a.ttl").read_bytes() == b"the tree's"
