"""WeChat Official Account and WeCom input channels (credentials.yml:
``channels.wechat.WeChatInput``, ``channels.wechat.WeComInput``).

protocol   signatures, timestamps, body and XML safety, reply XML
dedup      one turn per pushed message, one delivery per answer (memory or Redis)
render     bot messages to WeChat text: merged, numbered buttons, size limit
delivery   the customer-service / app message API (wechatpy, in an executor)
failures   what happens when a message cannot be delivered
output     the output channel for messages outside a caller's turn
base       routes, turns and the 5-second rule, shared by both channels
"""
from channels.wechat.official_account import WeChatInput
from channels.wechat.wecom import WeComInput

__all__ = ["WeChatInput", "WeComInput"]
