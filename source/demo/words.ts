// Word lists for the demo's sample chat app. No emoji: tmux and terminals disagree on their width.

export const namePartsA = [
	'quiet', 'lucky', 'neon', 'salty', 'cosmic', 'sleepy', 'brave', 'pixel', 'rusty', 'velvet', 'midnight', 'crispy',
	'lazy', 'turbo', 'mellow', 'frosty', 'golden', 'tiny', 'wild', 'dizzy', 'stormy', 'sunny', 'hollow', 'electric',
	'mira', 'jonas', 'sable', 'kit', 'rowan', 'ezra', 'noor', 'tomas', 'lena', 'ivo', 'dj', 'captain', 'doc', 'mx',
];

export const namePartsB = [
	'fox', 'otter', 'falcon', 'badger', 'moth', 'comet', 'lynx', 'panda', 'raven', 'wolf', 'koala', 'gecko', 'heron',
	'beats', 'bytes', 'waffle', 'noodle', 'pancake', 'taco', 'ghost', 'wizard', 'knight', 'pilot', 'runner', 'k', 'v',
];

export const chatNames = [
	'Late Night Radio', 'Speedrun Tuesday', 'Lobby', 'Patch Notes', 'Bakery Live', 'Retro Corner', 'Study Hall',
	'Synthwave Session', 'Garden Club', 'Board Game Night', 'Open Mic', 'Indie Devs', 'Chess Blitz', 'Coffee Break',
	'Movie Club', 'Ask Me Anything', 'Trivia Thursday', 'Night Shift', 'Book Nook', 'Cooking Along', 'Weekend Raid',
	'Photo Walk', 'Lo-fi Beats', 'Newcomers', 'Climbing Crew', 'Support Desk', 'Knitting Circle', 'Market Watch',
];

export const topics = [
	'speedrun', 'patch', 'playlist', 'tournament', 'sourdough', 'boss fight', 'giveaway', 'new map', 'Q&A', 'soundtrack',
	'build', 'mod pack', 'merch drop', 'collab', 'season finale', 'beta', 'raid', 'charity stream',
];

export const slugs = ['schedule', 'rules', 'patch-2-4', 'setlist', 'recipe', 'bracket', 'faq', 'clip/8812', 'vod/311'];

export const lines = [
	'anyone else lagging right now?', 'gg {user}', '@{user} did you see the patch notes?', 'welcome in {user}!', 'lol',
	"that's wild", 'brb getting coffee', 'which server are you on?', 'just hit level {num}', 'first time here, hi everyone',
	'no spoilers please!', 'check https://example.com/{slug}', 'I think the {topic} thing is overrated tbh',
	"can't believe that ending", 'the {topic} starts in {num} minutes', 'is the {topic} still happening today?',
	"ok so I tried the {topic} build from yesterday and it's way better, the cooldowns finally make sense",
	'what did I miss?', 'hello from Lisbon', 'hello from Osaka', 'hi chat', 'same here', 'good night everyone',
	'that was clean', '{user} you were right', 'who won?', 'F', 'this song slaps', 'is there a vod?', 'how long is the {topic}?',
	'mods can we get the {topic} link pinned', 'my café wifi is not coping', '+1', 'haha', 'oh no', 'what is the prize?',
	'I have been waiting {num} minutes for this', 'can someone explain the rules?', 'the audio is a bit quiet', 'better now',
	"jalapeño popcorn, don't judge", 'round {num} let us go', 'thanks for the stream', 'see you tomorrow',
	'@{user} that is exactly what I said', 'new record?', 'calling it now: {user} wins', 'ok that was unexpected',
	'I missed the start, is there a recap?', 'the {topic} was so good last week', 'hydrate everyone', 'back',
	'{num} more minutes', 'chat is fast today', 'just subscribed', 'is {user} here?', 'where is the {topic} link',
];

export const hostLines = [
	'Reminder: be kind, no spam. Rules: https://example.com/rules', 'Schedule for this week: https://example.com/{slug}',
	'The {topic} starts in {num} minutes, grab a drink', 'Welcome everyone! Say hi and tell us where you are from',
	'Giveaway winner is {user}, congrats!', 'Taking a {num} minute break, back soon', 'Thanks for coming, same time tomorrow',
	'Q&A after the {topic}: drop your questions here', 'Please keep spoilers out of chat for {num} hours',
];

export const reactionNames = ['thumbs_up', 'heart', 'laugh', 'fire', 'clap', 'eyes', 'party', 'hundred', 'wave', 'sad'];

export const playerItems = [
	'wooden sword', 'iron sword', 'health potion', 'mana potion', 'rope', 'lantern', 'map fragment', 'golden key',
	'dragon scale', 'fishing rod', 'bread', 'arrows', 'shield', 'amulet', 'boots of speed', 'spell book',
];

export const moderationActions = ['warn', 'mute', 'unmute', 'delete_message', 'ban', 'unban', 'slow_mode'] as const;

export const moderationReasons = [
	'spam', 'links without permission', 'caps lock', 'harassment', 'off topic', 'repeated spoilers', 'appeal accepted',
	'bot account', 'raid protection', 'self promotion', 'timeout expired',
];
