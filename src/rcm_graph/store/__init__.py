"""The dataset directory: the store, its dumps, its VoID description, publishing a build."""
