"""Checks the API fuzz test (ApiFuzzTest) adds to schemathesis' own."""
import re

import schemathesis

# A Java stack trace, or an exception's class name, in a response body gives away the code's insides.
STACK_TRACE = re.compile(r"\tat [\w.$]+\(|\bat (io|java|jdk|org|com)\.[\w.$]+\(|\b[\w.]+(Exception|Error):")


@schemathesis.check
def no_stack_trace(ctx, response, case):
    """No response body holds a Java stack trace or an exception's class name."""
    found = STACK_TRACE.search(response.text or "")
    if found:
        raise AssertionError(f"the response body holds a stack trace or exception name: {found.group(0)!r}")
