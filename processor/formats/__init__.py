"""Encodings beyond JSON, logfmt and text: OTLP logs and schema-registry Avro.

Each encoding turns a record into a JSON view for the scrubber and writes the masked
view back; the scrubbing core never imports anything from here.
"""
