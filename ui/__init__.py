"""The Qt counter app: widgets, table models and dialogs over ``desk``."""
