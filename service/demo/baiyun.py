"""stub"""

from service.demo.builder import Builder


def build(b: Builder) -> None:
    raise NotImplementedError
