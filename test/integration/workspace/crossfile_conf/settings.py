# Imported by crossfile_train.py; the integration suite rewrites GAMMA on disk.
STEP_SIZE = 3
GAMMA = 0.5
