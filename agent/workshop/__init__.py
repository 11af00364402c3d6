"""The ICP workshop: a checkpointed terminal chat to build, question and refine the ICP."""
