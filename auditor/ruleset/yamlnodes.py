"""YAML reading that keeps node marks (for file:line errors) and refuses alias bombs."""

from __future__ import annotations

from typing import Any

import yaml

#: Largest number of nodes a file may expand to once aliases are followed.
MAX_NODES = 200_000

# libyaml's parser when PyYAML was built with it (about ten times faster, same nodes and
# marks); a file it rejects is parsed again in Python for PyYAML's more precise message.
_FAST = getattr(yaml, "CSafeLoader", None)


class YamlError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def load(text: str) -> tuple[Any, yaml.Node | None]:
    """Parse one YAML document into (data, root node); raises :class:`YamlError`."""
    if _FAST is not None:
        try:
            return _load(text, _FAST)
        except YamlError:
            pass
    return _load(text, yaml.SafeLoader)


def _load(text: str, loader_cls: type) -> tuple[Any, yaml.Node | None]:
    loader = loader_cls(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        size = _expanded_size(node, {})
        if size > MAX_NODES:
            raise YamlError(
                node.start_mark.line + 1,
                f"document expands to more than {MAX_NODES} nodes (YAML alias bomb?)",
            )
        return loader.construct_document(node), node
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlError(line, f"invalid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise YamlError(1, f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = 1  # guards against cycles
    if isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(v, memo) for v in node.value)
    else:
        size = 1
    memo[key] = size
    return size


def child(node: yaml.Node | None, key: str | int) -> yaml.Node | None:
    """The value node under a mapping key or sequence index."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == str(key):
                return v
    elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return node.value[key]
    return None


def locate(node: yaml.Node | None, path: tuple[str | int, ...]) -> int:
    """The line (1-based) of the deepest node along ``path``; a last key points at the key.

    Path components not present in the YAML (pydantic union tags, synthetic fields) are
    skipped.
    """
    line = node.start_mark.line + 1 if node is not None else 1
    for i, part in enumerate(path):
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == str(part):
                    if i == len(path) - 1:
                        return k.start_mark.line + 1
                    node, line = v, v.start_mark.line + 1
                    break
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            node = node.value[part]
            line = node.start_mark.line + 1
    return line
